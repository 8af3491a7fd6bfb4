-- One database and one role per service: no service can read another's tables.
CREATE ROLE identity LOGIN PASSWORD 'identity';
CREATE DATABASE identity OWNER identity;
CREATE ROLE catalogue LOGIN PASSWORD 'catalogue';
CREATE DATABASE catalogue OWNER catalogue;
CREATE ROLE contracting LOGIN PASSWORD 'contracting';
CREATE DATABASE contracting OWNER contracting;
CREATE ROLE products LOGIN PASSWORD 'products';
CREATE DATABASE products OWNER products;
CREATE ROLE support LOGIN PASSWORD 'support';
CREATE DATABASE support OWNER support;
