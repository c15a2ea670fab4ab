"""Validate, approve and sync CBCCVC records into the National Database on CBCCVC.

The package is shared by the Lambda handlers in ``functions/`` and by the ``cbccvc``
command-line tool. Sub-packages follow the pipeline: ``intake`` reads exports,
``validation`` checks them, ``signing`` approves batches, ``sync`` sends them,
``state`` keeps DynamoDB state and ``reporting`` writes reports.
"""
