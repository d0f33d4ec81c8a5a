"""The account and Twilio's rules: stores, the clock, SMS facts, the errors the mock
answers. No HTTP and no pytest here; nothing here imports another room."""
