package dev.agentstore.examples.spring;

import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /chat/{conversationId}} with the question as the body: retrieves the three nearest
 * passages from the knowledge base (agentstore's VectorStore), sends them with the conversation's window
 * (agentstore's ChatMemoryRepository) to the chat model, and remembers the question and the answer.
 */
@RestController
class ChatController {

    /** The answer and the ids of the documents it was given. */
    record Answer(String conversationId, String answer, List<String> sources) {
    }

    private final VectorStore vectorStore;
    private final ChatMemory memory;
    private final ChatModel chatModel;

    ChatController(VectorStore vectorStore, ChatMemory memory, ChatModel chatModel) {
        this.vectorStore = vectorStore;
        this.memory = memory;
        this.chatModel = chatModel;
    }

    @PostMapping(path = "/chat/{conversationId}", consumes = "text/plain", produces = "application/json")
    Answer chat(@PathVariable("conversationId") String conversationId, @RequestBody String question) {
        List<Document> passages = vectorStore.similaritySearch(SearchRequest.builder().query(question).topK(3).build());
        StringBuilder context = new StringBuilder("Answer from these passages of the Northwind Trails knowledge base:\n");
        for (int i = 0; i < passages.size(); i++) {
            context.append('[').append(i + 1).append("] ").append(passages.get(i).getText()).append('\n');
        }
        UserMessage user = new UserMessage(question);
        List<Message> prompt = new ArrayList<>();
        prompt.add(new SystemMessage(context.toString()));
        prompt.addAll(memory.get(conversationId));
        prompt.add(user);
        AssistantMessage answer = chatModel.call(new Prompt(prompt)).getResult().getOutput();
        memory.add(conversationId, List.of(user, answer));
        return new Answer(conversationId, answer.getText(), passages.stream().map(Document::getId).toList());
    }
}
