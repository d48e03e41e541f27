package login
