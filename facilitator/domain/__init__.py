"""The workshop's domain: plain data and rules, with no user interface or storage."""
