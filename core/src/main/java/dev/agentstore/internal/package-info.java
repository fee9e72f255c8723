/**
 * Shared plumbing of agentstore's capabilities: the pgvector binding used by the generated tables,
 * input checks, JSON conversion, error translation and the store context. <strong>Unsupported
 * API:</strong> public only because the capability packages and the generated code need it; it may
 * change in any release.
 */
package dev.agentstore.internal;
