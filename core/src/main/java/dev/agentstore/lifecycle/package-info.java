/**
 * Data lifecycle across the capabilities of one tenant: erasure of a user, an agent or the whole
 * tenant ({@link dev.agentstore.lifecycle.Erasure}), and cheap counts and sizes
 * ({@link dev.agentstore.lifecycle.StoreCounts}).
 */
package dev.agentstore.lifecycle;
