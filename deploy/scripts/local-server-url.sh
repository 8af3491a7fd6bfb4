#!/usr/bin/env bash
# Print the URL of a test server running on this machine, or nothing when none answers
# (then the fixtures try testcontainers). Usage: local-server-url.sh postgres|rabbitmq
case "$1" in
  postgres) port=5432; url="postgresql://postgres@127.0.0.1:5432/postgres" ;;
  rabbitmq) port=5672; url="amqp://guest:guest@127.0.0.1:5672//" ;;
  *) exit 2 ;;
esac
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$url"; fi
