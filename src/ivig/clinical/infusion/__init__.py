"""The infusion flowsheet's clinical rules: rate checks and steps, reactions, monitoring, vital signs, volume.

Pure typed Python, no Django. Every rule names its source (docs/reference/); what the reference does not
give (vital-sign ranges, how early a reading counts) is a site setting, never a default invented here.
"""
