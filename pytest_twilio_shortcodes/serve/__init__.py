"""The mock served to other processes: the HTTPS proxy, its throw-away CA, the seed file."""
