-- agentstore schema, version 6: tool calls in conversations.
--
-- An assistant message may carry the tool calls the model asked for (tool_calls: a JSON array of
-- {"id", "name", "arguments"} objects, arguments kept as the exact text the model produced), and its
-- text may then be empty. A tool message may be the result of one call (tool_call_id and/or
-- tool_name set), and its text may then be empty too. Every other message keeps non-blank content.

ALTER TABLE conversation_message
  ADD COLUMN tool_calls   jsonb,
  ADD COLUMN tool_call_id text,
  ADD COLUMN tool_name    text;

ALTER TABLE conversation_message DROP CONSTRAINT conversation_message_content_ck;
ALTER TABLE conversation_message ADD CONSTRAINT conversation_message_content_ck CHECK (
     btrim(content) <> ''
  OR tool_calls IS NOT NULL
  OR tool_call_id IS NOT NULL
  OR tool_name IS NOT NULL);

ALTER TABLE conversation_message ADD CONSTRAINT conversation_message_tool_calls_ck CHECK (
  tool_calls IS NULL
  OR (role = 'assistant' AND jsonb_typeof(tool_calls) = 'array' AND jsonb_array_length(tool_calls) > 0));

ALTER TABLE conversation_message ADD CONSTRAINT conversation_message_tool_result_ck CHECK (
  (tool_call_id IS NULL AND tool_name IS NULL) OR role = 'tool');

ALTER TABLE conversation_message ADD CONSTRAINT conversation_message_tool_name_ck CHECK (
  tool_name IS NULL OR btrim(tool_name) <> '');
