"""Institution groups (ziekenhuisgroepen): hospital organisations and other groupings."""
