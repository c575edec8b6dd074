"""The Napster tab: create companions and twins, follow their jobs, browse them."""
