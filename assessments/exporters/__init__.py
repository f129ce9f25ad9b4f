"""Writing question banks out to other systems' formats."""
