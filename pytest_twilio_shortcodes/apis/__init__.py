"""One module per API: its routes, and handlers that turn state into response bodies."""
