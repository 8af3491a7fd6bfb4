"""servicekit: the generic kit shared by the platform's services.

It holds no business words: no domain model, ORM model, handler or business enum belongs here.
"""
