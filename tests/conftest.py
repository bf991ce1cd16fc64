# The hidden suites run against submissions through the grader, not directly.
collect_ignore = ["hidden"]
