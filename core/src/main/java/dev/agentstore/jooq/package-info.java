/**
 * jOOQ support for host applications (supported API): {@link dev.agentstore.jooq.VectorBinding} maps
 * pgvector's {@code vector} columns to {@code float[]}, in agentstore's generated tables
 * ({@code dev.agentstore.schema}) and in a host's own generated code.
 */
package dev.agentstore.jooq;
