"""The web portal of purchasing teams (issue 12): every screen of the user guide, in Dutch.

It holds no business data: every page calls the other services through the gateway with the
user's session token, server side.
"""

SERVICE = "portal"
