"""Assistant: retrieve passages and goals, compose cited answers in the question's language."""
