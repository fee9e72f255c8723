package dev.agentstore.examples;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.Session;
import dev.agentstore.langchain4j.AgentStoreChatMemoryStore;
import dev.agentstore.langchain4j.AgentStoreContentRetriever;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import java.util.Map;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;

/**
 * A LangChain4j {@code AiServices} assistant whose knowledge (retriever) and chat memory are agentstore:
 * the embedded default database, the in-process MiniLM embedding model, and a scripted stand-in for the
 * chat model, so that it runs without network or API key.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=LangChain4jAssistant}
 */
public final class LangChain4jAssistant {

    /** The assistant the application talks to; LangChain4j implements it. */
    interface Assistant {
        String chat(@MemoryId String userId, @dev.langchain4j.service.UserMessage String question);
    }

    /** A tool the model may call. */
    static final class Billing {
        @Tool("the date of the customer's next invoice")
        String nextInvoiceDate() {
            return "2027-01-03";
        }
    }

    private static final List<String[]> HANDBOOK = List.of(
            new String[] {"kb://billing/refunds", "Refunds reach the card in one to two days once approved.", "billing"},
            new String[] {"kb://billing/invoices", "Invoices are issued on the 3rd of each month.", "billing"},
            new String[] {"kb://account/password", "Passwords can be reset from the login page with 'Forgot password'.", "account"},
            new String[] {"kb://account/2fa", "Two-factor authentication is set up under Settings > Security.", "account"});

    private LangChain4jAssistant() {
    }

    public static void main(String[] args) {
        try (AgentStore store = ExampleDatabase.builder(384).build()) {
            EmbeddingModel embeddingModel = new AllMiniLmL6V2QuantizedEmbeddingModel(); // the same model, for queries

            // knowledge: an agentstore knowledge base, ingested with agentstore's own (deduplicating, bulk) path
            KnowledgeBase handbook = store.documents("acme").createKnowledgeBase(KnowledgeBaseSpec.of("handbook", 384));
            List<DocumentInput> docs = HANDBOOK.stream()
                    .map(h -> DocumentInput.of(h[0], List.of(h[1])).withMetadata(Map.of("topic", h[2]))).toList();
            store.documents("acme").ingestAll(handbook.id(), docs, LocalEmbeddings.load()::embedAll);

            // retrieval: agentstore's hybrid search (vector + full text), filtered by metadata
            AgentStoreContentRetriever retriever = AgentStoreContentRetriever.builder()
                    .store(store).tenant("acme").knowledgeBase("handbook").embeddingModel(embeddingModel)
                    .maxResults(2).filter(metadataKey("topic").isEqualTo("billing")).build();

            // memory: one agentstore session per user, every message kept, tool calls included
            AgentStoreChatMemoryStore memoryStore = AgentStoreChatMemoryStore.builder()
                    .store(store).tenant("acme").agentId("billing-assistant").build();

            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(new ScriptedChatModel())
                    .contentRetriever(retriever)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.builder().id(id).maxMessages(10)
                            .chatMemoryStore(memoryStore).build())
                    .tools(new Billing())
                    .build();

            for (String question : List.of("How long does a refund take?", "When is my next invoice?")) {
                System.out.println("alice: " + question);
                System.out.println("assistant: " + assistant.chat("alice", question));
            }

            Session session = memoryStore.findSession("alice").orElseThrow();
            System.out.println("agentstore session of memory 'alice' (" + session.messageCount() + " messages):");
            for (Message m : store.conversations("acme").listLastMessages(session.id(), 20)) {
                String tools = m.toolCalls().isEmpty() ? ""
                        : " -> calls " + m.toolCalls().get(0).name() + m.toolCalls().get(0).arguments();
                String result = m.isToolResult() ? " (result of " + m.toolName() + ")" : "";
                System.out.printf("#%d %-9s %s%s%s%n", m.seq(), m.role(), firstLine(m.content()), tools, result);
            }
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl) + " ...";
    }

    /**
     * A stand-in for a real chat model: answers from the retrieved text LangChain4j put into the user
     * message, and asks for the billing tool when the question is about an invoice.
     */
    static final class ScriptedChatModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            ChatMessage last = messages.get(messages.size() - 1);
            if (last instanceof ToolExecutionResultMessage result) {
                return reply(AiMessage.from("Your next invoice is dated " + result.text() + "."));
            }
            String prompt = ((UserMessage) last).singleText();
            if (prompt.contains("invoice") && !request.toolSpecifications().isEmpty()) {
                return reply(AiMessage.from(List.of(ToolExecutionRequest.builder().id("call_1")
                        .name("nextInvoiceDate").arguments("{}").build())));
            }
            int at = prompt.indexOf("Answer using the following information:");
            String context = at < 0 ? "" : prompt.substring(at).lines().skip(1).filter(l -> !l.isBlank()).findFirst().orElse("");
            return reply(AiMessage.from("From the handbook: " + context));
        }

        private static ChatResponse reply(AiMessage message) {
            return ChatResponse.builder().aiMessage(message).build();
        }
    }
}
