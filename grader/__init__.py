"""The instructor's tool: build the student stubs, grade submissions (python -m grader)."""
