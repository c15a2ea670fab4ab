"""Local stand-ins for the cloud and the national systems: moto server, the API emulator,
the event dispatcher, demo certificates, the sample generator and the demo itself.

Nothing here ships in the Lambda layer.
"""
