# English readers of a Norwegian service get dates as written in British English:
# "19 November 2020", not Django's American "Nov. 19, 2020".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
