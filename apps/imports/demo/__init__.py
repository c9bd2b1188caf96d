"""Demo threads (one file each) and the annotation plan that `manage.py load_demo` loads."""
