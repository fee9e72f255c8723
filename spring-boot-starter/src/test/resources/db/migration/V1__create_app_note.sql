-- the application's own migration, found by Spring Boot's Flyway at its default classpath:db/migration
CREATE TABLE app_note (id bigserial PRIMARY KEY, body text NOT NULL);
