package dev.agentstore.agents;

/**
 * What publishing a definition did.
 *
 * @param version the version holding the definition: new, or the existing one with the same content hash
 * @param created whether a new version was created (false: the definition was already published)
 */
public record PublishResult(AgentVersion version, boolean created) {
}
