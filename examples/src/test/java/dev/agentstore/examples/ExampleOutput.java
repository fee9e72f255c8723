package dev.agentstore.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs an example's main and captures what it prints, for the smoke tests. */
final class ExampleOutput {

    interface Main {
        void run() throws Exception;
    }

    private ExampleOutput() {
    }

    static synchronized String of(Main main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
