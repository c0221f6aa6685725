"""The county app: terminals, cases, evaluations, the op journal and the change feed."""
