"""The demo archive: sample records, people, collections, accounts and placeholder media.

A development and evaluation aid, never needed in production (where
``manage.py load_reference_data`` loads the reference lists alone). The demo may use every
app; no app uses the demo.
"""
