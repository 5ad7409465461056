FLASK_APP=service.wsgi
