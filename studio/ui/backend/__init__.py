"""How widgets reach the API: the async bridge, and the Anam and Napster connections."""
