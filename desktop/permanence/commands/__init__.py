"""Command-line subcommands; each module exposes `register(subparsers)`."""
