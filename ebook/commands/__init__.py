"""The command line's commands, one module each: parse, call the pipeline's functions, print.
Only this folder and cli.py print or choose an exit status."""
