-- A database per service: services share events, never tables.
CREATE DATABASE console;
CREATE DATABASE incubation;
CREATE DATABASE intake;
CREATE DATABASE hotline;
CREATE DATABASE assessment;
