"""The statutory domain: working days, the request register and the annual report."""
