/**
 * A host application on the module path: it reads agentstore through {@code requires dev.agentstore.core}
 * and nothing else (core's own dependencies are resolved through core's descriptor).
 */
module dev.agentstore.modulepath {
    requires dev.agentstore.core;
}
