"""The answering screen: the call card and its parts."""
