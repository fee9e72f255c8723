package dev.agentstore.examples.spring;

import java.util.List;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * A deterministic stand-in for a chat model, so that the example needs no network or API key: it answers
 * with the first passage of the context it is given, and mentions the previous question of the
 * conversation when the prompt carries one (which shows that the memory reached the model).
 */
final class ScriptedChatModel implements ChatModel {

    @Override
    public ChatResponse call(Prompt prompt) {
        List<Message> messages = prompt.getInstructions();
        String context = messages.stream().filter(m -> m.getMessageType() == MessageType.SYSTEM)
                .map(Message::getText).reduce((a, b) -> b).orElse("");
        List<String> questions = messages.stream().filter(m -> m.getMessageType() == MessageType.USER)
                .map(Message::getText).toList();
        StringBuilder answer = new StringBuilder();
        int first = context.indexOf("[1] ");
        if (first < 0) {
            answer.append("I found nothing about that in the knowledge base.");
        } else {
            int end = context.indexOf("\n[2] ", first);
            String passage = context.substring(first + 4, end < 0 ? context.length() : end).strip();
            answer.append("From the knowledge base: ").append(passage.length() > 300 ? passage.substring(0, 300) + "..." : passage);
        }
        if (questions.size() > 1) {
            answer.append(" (Earlier you asked: \"").append(questions.get(questions.size() - 2)).append("\".)");
        }
        return new ChatResponse(List.of(new Generation(new AssistantMessage(answer.toString()))));
    }
}
