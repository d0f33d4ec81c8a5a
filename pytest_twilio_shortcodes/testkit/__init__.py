"""What tests script and read: recorded calls and the assertions on them, scripted
faults, the messages sent, and the frozen records the inspection helpers hand out."""
