"""EN 16931 e-invoices of tenure's documents: UN/CEFACT CII (Factur-X/ZUGFeRD, XRechnung) and
UBL 2.1 (XRechnung), and their validation against the official CEN schematron."""
