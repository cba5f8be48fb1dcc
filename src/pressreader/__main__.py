from pressreader.cli import run

run()
