"""Training the pipeline's learned components (``newsledger train …``)."""
