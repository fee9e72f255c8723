package dev.agentstore.langchain4j;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/** One in-process MiniLM model (384 dimensions) for every test class of the JVM: loading it takes seconds. */
final class TestModel {

    static final int DIMENSION = 384;

    private static EmbeddingModel model;

    private TestModel() {
    }

    static synchronized EmbeddingModel get() {
        if (model == null) {
            model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        }
        return model;
    }
}
