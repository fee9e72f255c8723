package dev.agentstore.examples.spring;

import dev.agentstore.examples.LocalEmbeddings;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/** Spring AI's {@link EmbeddingModel} over the examples' in-process MiniLM model ({@link LocalEmbeddings}). */
final class MiniLmEmbeddingModel implements EmbeddingModel {

    private final LocalEmbeddings model = LocalEmbeddings.load();

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        List<float[]> vectors = model.embedAll(request.getInstructions());
        List<Embedding> out = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            out.add(new Embedding(vectors.get(i), i));
        }
        return new EmbeddingResponse(out);
    }

    @Override
    public float[] embed(Document document) {
        return model.embed(document.getText());
    }

    @Override
    public int dimensions() {
        return LocalEmbeddings.DIMENSION;
    }
}
