"""The Twilio HTTP side every API shares, holding no state: request and answer types,
Twilio hosts, parsing, authentication, paging envelopes, rendering (JSON, XML, dates)."""
