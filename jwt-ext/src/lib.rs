//! JWT authentication for phial, mirroring flask-jwt-extended.
