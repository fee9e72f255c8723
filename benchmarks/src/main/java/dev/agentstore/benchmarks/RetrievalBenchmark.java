package dev.agentstore.benchmarks;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.DOCUMENT_CHUNK;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE_SEGMENT;

import com.pgvector.PGvector;
import dev.agentstore.AgentStore;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.Knowledge;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.testkit.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.Record2;

/**
 * Retrieval quality and latency on real text: the Node.js API documentation shipped by Debian's {@code nodejs}
 * package ({@link NodeDocsCorpus}; full: ~4,100 sections, ~6,500 chunks of at most 800 characters), embedded
 * in-process with the examples' all-MiniLM-L6-v2 (vectors cached under {@code target/}), and hand-written,
 * hand-judged questions ({@code retrieval/nodejs-questions.tsv}).
 *
 * <p>For every mode, agentstore's and hand-written SQL baselines measured in the same run on the same tables:
 * hit@1/5/10 and MRR@10 (a hit is relevant when one of the documents containing the chunk answers the
 * question), recall@10 against the exact (brute-force, in Java) vector top 10, and p50/p95 latency with the
 * modes interleaved question by question. {@code small} loads three files and the questions about them.
 */
final class RetrievalBenchmark implements Benchmark {

    static final String TENANT = "bench";
    static final int K = 10;
    /** The files of the small run (the smoke test): the questions whose answers are in them are asked. */
    static final List<String> SMALL_FILES = List.of("os.md", "path.md", "timers.md");

    /** One judged question. */
    record Question(String text, Set<String> relevant) {
    }

    /** A ranking of chunk ids for a question, by one mode. */
    interface Mode {
        String name();

        List<UUID> top(int question) throws SQLException;
    }

    @Override
    public String name() {
        return "retrieval";
    }

    @Override
    public void run(BenchEnv env) throws Exception {
        PrintStream out = env.out();
        String dir = System.getenv("AGENTSTORE_BENCH_CORPUS");
        NodeDocsCorpus corpus = NodeDocsCorpus.load(dir == null || dir.isBlank() ? NodeDocsCorpus.DEFAULT_DIRECTORY : Path.of(dir),
                env.small() ? SMALL_FILES : List.of());
        Set<String> docIds = new HashSet<>();
        corpus.documents().forEach(d -> docIds.add(d.id()));
        List<Question> questions = new ArrayList<>();
        for (Question q : questions()) {
            Set<String> known = new HashSet<>(q.relevant());
            known.retainAll(docIds);
            if (!known.isEmpty()) {
                questions.add(new Question(q.text(), known));
            } else if (!env.small()) {
                throw new IllegalStateException("question '" + q.text() + "' names no document of the corpus: " + q.relevant());
            }
        }
        out.printf("corpus: %s, %,d documents (sections), %,d chunks; %d hand-judged questions%n",
                env.small() ? SMALL_FILES : "Node.js API docs (Debian nodejs)", corpus.documents().size(), corpus.chunkCount(),
                questions.size());

        EmbeddingCache cache = EmbeddingCache.open();
        List<String> texts = new ArrayList<>();
        corpus.documents().forEach(d -> texts.addAll(d.chunks()));
        List<float[]> vectors = cache.embed(texts, out);
        Map<String, float[]> byText = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            byText.put(texts.get(i), vectors.get(i));
        }
        List<float[]> questionVectors = cache.embed(questions.stream().map(Question::text).toList(), out);

        TestDatabase db = env.database(384);
        try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .embeddingDimension(384).poolSize(2).build(); Connection jdbc = db.connect()) {
            long start = System.nanoTime();
            KnowledgeBaseId kb = store.documents(TENANT).createKnowledgeBase(KnowledgeBaseSpec.of("nodejs-api", 384)).id();
            List<DocumentInput> inputs = new ArrayList<>();
            for (NodeDocsCorpus.Doc d : corpus.documents()) {
                List<ChunkInput> chunks = new ArrayList<>();
                for (String c : d.chunks()) {
                    chunks.add(ChunkInput.of(c, byText.get(c)));
                }
                inputs.add(DocumentInput.ofChunks(d.id(), chunks).withTitle(d.title()).withDocType("markdown"));
            }
            store.documents(TENANT).ingestAll(kb, inputs, null);
            try (Statement s = jdbc.createStatement()) {
                s.execute("analyze");
            }
            Corpus c = Corpus.read(store, kb, byText);
            out.printf("ingested with agentstore's ingestAll in %.1f s: %,d distinct chunks%n", (System.nanoTime() - start) / 1e9,
                    c.ids.length);

            int[][] exact = new int[questions.size()][];
            for (int q = 0; q < questions.size(); q++) {
                exact[q] = c.exactTop(questionVectors.get(q), K);
            }
            Knowledge knowledge = store.knowledge(TENANT);
            int storageId = store.dsl().select(KNOWLEDGE_BASE.STORAGE_ID).from(KNOWLEDGE_BASE)
                    .where(KNOWLEDGE_BASE.TENANT_ID.eq(TENANT)).and(KNOWLEDGE_BASE.ID.eq(kb.value())).fetchSingle().value1();
            List<int[]> ranges = store.dsl().select(KNOWLEDGE_BASE_SEGMENT.SEGMENT_FROM, KNOWLEDGE_BASE_SEGMENT.SEGMENT_TO)
                    .from(KNOWLEDGE_BASE_SEGMENT).where(KNOWLEDGE_BASE_SEGMENT.TENANT_ID.eq(TENANT))
                    .and(KNOWLEDGE_BASE_SEGMENT.KNOWLEDGE_BASE_ID.eq(kb.value())).orderBy(KNOWLEDGE_BASE_SEGMENT.SEGMENT_FROM)
                    .fetch(r -> new int[] {r.value1(), r.value2()});
            out.printf("storage: partition chunk_p%d, index ranges %s%n", storageId,
                    ranges.stream().map(r -> r[0] + "-" + r[1]).toList());
            SqlModes sql = new SqlModes(jdbc, "agentstore", storageId, ranges, questions, questionVectors);
            List<Mode> modes = new ArrayList<>();
            modes.add(agentstore("agentstore vector (defaults)", q -> knowledge.search(SearchRequest.vector(questionVectors.get(q))
                    .knowledgeBases(kb).limit(K).build())));
            modes.add(agentstore("agentstore text (defaults)", q -> knowledge.search(SearchRequest.text(questions.get(q).text())
                    .knowledgeBases(kb).limit(K).build())));
            modes.add(agentstore("agentstore hybrid (defaults)", q -> knowledge.search(SearchRequest.hybrid(questions.get(q).text(),
                    questionVectors.get(q)).knowledgeBases(kb).limit(K).build())));
            modes.add(agentstore("agentstore vector includeDocuments(false)", q -> knowledge.search(SearchRequest.vector(
                    questionVectors.get(q)).knowledgeBases(kb).limit(K).includeDocuments(false).build())));
            modes.add(agentstore("agentstore text includeDocuments(false)", q -> knowledge.search(SearchRequest.text(
                    questions.get(q).text()).knowledgeBases(kb).limit(K).includeDocuments(false).build())));
            modes.add(agentstore("agentstore hybrid includeDocuments(false)", q -> knowledge.search(SearchRequest.hybrid(
                    questions.get(q).text(), questionVectors.get(q)).knowledgeBases(kb).limit(K).includeDocuments(false).build())));
            modes.add(agentstore("agentstore hybrid Fusion.RRF", q -> knowledge.search(SearchRequest.hybrid(questions.get(q).text(),
                    questionVectors.get(q)).knowledgeBases(kb).limit(K).fusion(dev.agentstore.knowledge.Fusion.RRF).build())));
            modes.addAll(sql.baselines());
            modes.addAll(sql.prototypes());
            measure(modes, questions, c, exact, env, out);
            sql.explain(out);

            // determinism: drop the knowledge base, ingest the same corpus again (new random chunk ids, a new HNSW
            // graph, new statistics), and compare every question's top 10 by chunk text
            List<List<List<String>>> before = topTexts(knowledge, kb, questions, questionVectors);
            store.documents(TENANT).deleteKnowledgeBase(kb);
            KnowledgeBaseId again = store.documents(TENANT).createKnowledgeBase(KnowledgeBaseSpec.of("nodejs-api", 384)).id();
            store.documents(TENANT).ingestAll(again, inputs, null);
            try (Statement s = jdbc.createStatement()) {
                s.execute("analyze");
            }
            List<List<List<String>>> after = topTexts(knowledge, again, questions, questionVectors);
            String[] names = {"vector", "text", "hybrid"};
            for (int m = 0; m < names.length; m++) {
                int same = 0;
                for (int q = 0; q < questions.size(); q++) {
                    same += before.get(q).get(m).equals(after.get(q).get(m)) ? 1 : 0;
                }
                out.printf("determinism after drop + re-ingest, agentstore %-6s: identical top %d for %d of %d questions%n",
                        names[m], K, same, questions.size());
            }
        }
    }

    /** Per question, the top-k chunk texts of agentstore's vector, text and hybrid search (defaults). */
    private static List<List<List<String>>> topTexts(Knowledge knowledge, KnowledgeBaseId kb, List<Question> questions,
            List<float[]> vectors) {
        List<List<List<String>>> all = new ArrayList<>();
        for (int q = 0; q < questions.size(); q++) {
            String text = questions.get(q).text();
            all.add(List.of(
                    knowledge.search(SearchRequest.vector(vectors.get(q)).knowledgeBases(kb).limit(K).build()).stream()
                            .map(SearchHit::text).toList(),
                    knowledge.search(SearchRequest.text(text).knowledgeBases(kb).limit(K).build()).stream()
                            .map(SearchHit::text).toList(),
                    knowledge.search(SearchRequest.hybrid(text, vectors.get(q)).knowledgeBases(kb).limit(K).build()).stream()
                            .map(SearchHit::text).toList()));
        }
        return all;
    }

    @FunctionalInterface
    interface Search {
        List<SearchHit> run(int question);
    }

    private static Mode agentstore(String name, Search search) {
        return new Mode() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<UUID> top(int question) {
                return search.run(question).stream().map(h -> h.chunkId().value()).toList();
            }
        };
    }

    /** Quality of each mode, then latency with all modes interleaved question by question. */
    static void measure(List<Mode> modes, List<Question> questions, Corpus c, int[][] exact, BenchEnv env, PrintStream out)
            throws SQLException {
        int n = questions.size();
        Map<Mode, List<List<UUID>>> results = new LinkedHashMap<>();
        for (Mode m : modes) {
            List<List<UUID>> r = new ArrayList<>();
            for (int q = 0; q < n; q++) {
                r.add(m.top(q));
            }
            results.put(m, r);
        }
        int rounds = env.size(2, 10);
        int warmup = env.size(1, 2);
        Map<Mode, Stats> latency = new LinkedHashMap<>();
        for (Mode m : modes) {
            latency.put(m, new Stats(n * rounds));
        }
        for (int r = -warmup; r < rounds; r++) {
            for (int q = 0; q < n; q++) {
                for (int i = 0; i < modes.size(); i++) {
                    Mode m = modes.get((i + q + Math.max(r, 0)) % modes.size()); // rotate which mode runs first
                    long t0 = System.nanoTime();
                    m.top(q);
                    long t = System.nanoTime() - t0;
                    if (r >= 0) {
                        latency.get(m).add(t);
                    }
                }
            }
        }
        out.printf("%-44s %6s %6s %6s %7s %8s %9s %9s%n", "mode (top " + K + ")", "hit@1", "hit@5", "hit@10", "MRR@10",
                "rec@10", "p50 ms", "p95 ms");
        for (Mode m : modes) {
            List<List<UUID>> r = results.get(m);
            double h1 = 0;
            double h5 = 0;
            double h10 = 0;
            double mrr = 0;
            double recall = 0;
            for (int q = 0; q < n; q++) {
                int rank = c.firstRelevant(r.get(q), questions.get(q).relevant());
                h1 += rank >= 1 && rank <= 1 ? 1 : 0;
                h5 += rank >= 1 && rank <= 5 ? 1 : 0;
                h10 += rank >= 1 && rank <= 10 ? 1 : 0;
                mrr += rank >= 1 ? 1.0 / rank : 0;
                recall += c.recall(r.get(q), exact[q]);
            }
            Stats s = latency.get(m);
            out.printf("%-44s %6.3f %6.3f %6.3f %7.3f %8.3f %9.2f %9.2f%n", m.name(), h1 / n, h5 / n, h10 / n, mrr / n,
                    recall / n, s.percentileMillis(50), s.percentileMillis(95));
        }
        out.printf("(%d questions; latency over %d rounds after %d warm-up, modes interleaved; rec@10 = share of the exact "
                + "vector top %d)%n", n, rounds, warmup, K);
    }

    /** The judged questions of {@code retrieval/nodejs-questions.tsv}. */
    static List<Question> questions() {
        List<Question> qs = new ArrayList<>();
        try (InputStream in = RetrievalBenchmark.class.getClassLoader().getResourceAsStream("retrieval/nodejs-questions.tsv")) {
            if (in == null) {
                throw new IllegalStateException("retrieval/nodejs-questions.tsv is not on the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                if (parts.length < 2) {
                    throw new IllegalStateException("a question without a relevant document: " + line);
                }
                qs.add(new Question(parts[0], Set.copyOf(Arrays.asList(parts).subList(1, parts.length))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return qs;
    }

    /** The stored chunks: ids, the documents holding each, and their vectors (for the exact top k). */
    static final class Corpus {
        final UUID[] ids;
        final float[][] vectors;
        final Map<UUID, Integer> index = new HashMap<>();
        final Map<UUID, Set<String>> documents = new HashMap<>();

        private Corpus(UUID[] ids, float[][] vectors) {
            this.ids = ids;
            this.vectors = vectors;
            for (int i = 0; i < ids.length; i++) {
                index.put(ids[i], i);
            }
        }

        static Corpus read(AgentStore store, KnowledgeBaseId kb, Map<String, float[]> byText) {
            var rows = store.dsl().select(CHUNK.ID, CHUNK.CONTENT).from(CHUNK)
                    .where(CHUNK.TENANT_ID.eq(TENANT)).and(CHUNK.KNOWLEDGE_BASE_ID.eq(kb.value())).orderBy(CHUNK.ID).fetch();
            UUID[] ids = new UUID[rows.size()];
            float[][] vs = new float[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                ids[i] = rows.get(i).value1();
                vs[i] = byText.get(rows.get(i).value2());
                if (vs[i] == null) {
                    throw new IllegalStateException("a stored chunk text differs from every corpus text: " + ids[i]);
                }
            }
            Corpus c = new Corpus(ids, vs);
            for (Record2<UUID, String> r : store.dsl().select(DOCUMENT_CHUNK.CHUNK_ID, DOCUMENT.SOURCE_URI).from(DOCUMENT_CHUNK)
                    .join(DOCUMENT).on(DOCUMENT.TENANT_ID.eq(DOCUMENT_CHUNK.TENANT_ID)).and(DOCUMENT.ID.eq(DOCUMENT_CHUNK.DOCUMENT_ID))
                    .where(DOCUMENT_CHUNK.TENANT_ID.eq(TENANT)).and(DOCUMENT.KNOWLEDGE_BASE_ID.eq(kb.value())).fetch()) {
                c.documents.computeIfAbsent(r.value1(), k -> new HashSet<>()).add(r.value2());
            }
            return c;
        }

        /** 1-based rank of the first hit held by a relevant document, or 0. */
        int firstRelevant(List<UUID> hits, Set<String> relevant) {
            for (int i = 0; i < hits.size() && i < K; i++) {
                for (String d : documents.getOrDefault(hits.get(i), Set.of())) {
                    if (relevant.contains(d)) {
                        return i + 1;
                    }
                }
            }
            return 0;
        }

        double recall(List<UUID> hits, int[] exact) {
            int found = 0;
            for (int i = 0; i < hits.size() && i < K; i++) {
                Integer at = index.get(hits.get(i));
                for (int e : exact) {
                    if (at != null && e == at) {
                        found++;
                    }
                }
            }
            return (double) found / exact.length;
        }

        /** The k chunks nearest by cosine distance, exact. */
        int[] exactTop(float[] q, int k) {
            double[] best = new double[k];
            int[] at = new int[k];
            Arrays.fill(best, Double.MAX_VALUE);
            Arrays.fill(at, -1);
            double qn = norm(q);
            for (int i = 0; i < vectors.length; i++) {
                float[] v = vectors[i];
                double dot = 0;
                for (int j = 0; j < v.length; j++) {
                    dot += v[j] * q[j];
                }
                double d = 1 - dot / (norm(v) * qn);
                if (d < best[k - 1]) {
                    int p = k - 1;
                    while (p > 0 && best[p - 1] > d) {
                        best[p] = best[p - 1];
                        at[p] = at[p - 1];
                        p--;
                    }
                    best[p] = d;
                    at[p] = i;
                }
            }
            return Arrays.stream(at).filter(i -> i >= 0).toArray();
        }

        private static double norm(float[] v) {
            double s = 0;
            for (float x : v) {
                s += x * x;
            }
            return Math.sqrt(s);
        }
    }

    /**
     * The hand-written SQL modes (baselines and research prototypes) over one JDBC connection, written the way
     * a developer who knows the storage layout would: against the knowledge base's partition, one arm per index
     * range (its segment condition lets the planner use that range's partial HNSW and GIN indexes), the
     * embedding cast to {@code vector(384)} as the indexes are. Values are named ({@code :q :text :tenant :k})
     * and bound in order.
     */
    static final class SqlModes {
        private static final java.util.regex.Pattern NAMED = java.util.regex.Pattern.compile("(?<!:):(q|text|tenant|k)\\b");

        private final Connection c;
        private final String table;
        private final String partition;
        private final List<int[]> ranges;
        private final List<Question> questions;
        private final List<float[]> vectors;

        SqlModes(Connection c, String schema, int storageId, List<int[]> ranges, List<Question> questions, List<float[]> vectors)
                throws SQLException {
            this.c = c;
            this.partition = "chunk_p" + storageId;
            this.table = schema + "." + partition;
            this.ranges = ranges;
            this.questions = questions;
            this.vectors = vectors;
            try (Statement s = c.createStatement()) {
                s.execute("set hnsw.ef_search = " + SearchRequest.DEFAULT_EF_SEARCH);
            }
        }

        /** One arm per index range of {@code armSql} (which names {@code $T} and {@code $SEGMENT}), as a union. */
        private String arms(String armSql) {
            List<String> arms = new ArrayList<>();
            for (int[] r : ranges) {
                arms.add("(" + armSql.replace("$T", table).replace("$SEGMENT", "segment between " + r[0] + " and " + r[1]) + ")");
            }
            return String.join("\nunion all\n", arms);
        }

        String hnsw(int depth) {
            return "select id, content, distance from (" + arms("""
                    select id, content, embedding::vector(384) <=> :q::vector(384) as distance from $T
                    where tenant_id = :tenant and $SEGMENT order by distance limit %d""".formatted(depth))
                    + ") u order by distance limit " + depth;
        }

        String websearch(int depth) {
            return "select id, content, rank from (" + arms("""
                    select id, content, ts_rank_cd(content_tsv, websearch_to_tsquery('english', :text)) as rank from $T
                    where tenant_id = :tenant and $SEGMENT and content_tsv @@ websearch_to_tsquery('english', :text)
                    order by rank desc limit %d""".formatted(depth)) + ") u order by rank desc limit " + depth;
        }

        List<Mode> baselines() {
            return List.of(
                    mode("SQL: HNSW query (ef_search 100)", hnsw(K)),
                    // what agentstore's default hit carries: each chunk's documents (by join; rows read in full)
                    mode("SQL: HNSW query + documents (join)", """
                            select h.id, h.content, h.distance, d.id, d.source_uri, d.title, d.doc_type, d.metadata,
                              dc.chunk_index, d.created_at
                            from (%s) h
                            join %s dc on dc.tenant_id = :tenant and dc.chunk_id = h.id
                            join %s.document d on d.tenant_id = dc.tenant_id and d.id = dc.document_id
                            order by h.distance, d.created_at, d.id""".formatted(hnsw(K), table.replace(".chunk_p", ".document_chunk_p"),
                            table.substring(0, table.indexOf('.')))),
                    mode("SQL: websearch_to_tsquery + ts_rank_cd", websearch(K)),
                    mode("SQL: hybrid RRF (HNSW 50 + websearch 50)", """
                            with v as (select id, row_number() over (order by distance) as r from (%s) v0),
                            t as (select id, row_number() over (order by rank desc) as r from (%s) t0),
                            f as (select coalesce(v.id, t.id) as id, coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + t.r), 0) as score
                              from v full join t on v.id = t.id)
                            select f.id, c.content, f.score from f join %s c on c.tenant_id = :tenant and c.id = f.id
                            order by f.score desc limit :k""".formatted(hnsw(50), websearch(50), table)));
        }

        /**
         * The query's lexemes with their share of the knowledge base's chunks, read from the planner's element
         * statistics of the partition's tsvector column ({@code pg_stats.most_common_elems}, kept by ANALYZE; a
         * lexeme missing there is rarer than the least frequent listed: half of that), and idf = ln(1 / share).
         */
        String lexemes() {
            return """
                    with ql as (
                      select distinct l as word from unnest(tsvector_to_array(to_tsvector('english', :text))) l
                    ), st as (
                      select e.w as word, e.f as freq
                      from pg_stats s, unnest(cast(cast(s.most_common_elems as text) as text[]), s.most_common_elem_freqs) e(w, f)
                      where s.schemaname = 'agentstore' and s.tablename = '$P' and s.attname = 'content_tsv' and e.w is not null
                    ), mf as (
                      select s.most_common_elem_freqs[array_length(s.most_common_elem_freqs, 1) - 2] as minf, c.reltuples as n
                      from pg_stats s, pg_class c
                      where s.schemaname = 'agentstore' and s.tablename = '$P' and s.attname = 'content_tsv'
                        and c.oid = '$T'::regclass
                    ), w as (
                      select q.word, coalesce(st.freq, mf.minf / 2) as freq, ln(1 / coalesce(st.freq, mf.minf / 2)) as idf, mf.n,
                        (chr(39) || replace(replace(q.word, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) || chr(39))::tsquery as tq
                      from ql q left join st using (word) cross join mf
                    )""".replace("$P", partition).replace("$T", table);
        }

        /**
         * The bounded text arm: candidates are the chunks matching the OR of the query's rarest lexemes whose
         * estimated matches add up to at most the budget (at least the rarest one), at most budget rows per
         * range; each is scored by the idf of every query lexeme it contains; ties by content hash.
         */
        String textArm(int budget, int depth) {
            return """
                    , sel as (select w.*, sum(freq * n) over (order by freq, word) as cum from w)
                    , t as (select string_agg(cast(tq as text), ' | ')::tsquery q from sel
                            where cum <= %1$d or freq = (select min(freq) from sel))
                    , cand as (%3$s)
                    , ta as (select cand.id, (select sum(w.idf) from w where cand.content_tsv @@ w.tq) as s, cand.content_hash
                      from cand order by s desc, cand.content_hash limit %2$d)""".formatted(budget, depth, arms("""
                    select c.id, c.content_tsv, c.content_hash from $T c, t
                    where c.tenant_id = :tenant and c.$SEGMENT and c.content_tsv @@ t.q limit %d""".formatted(budget)));
        }

        String vectorArm() {
            return ", va as (select id, distance as d from (" + hnsw(40) + ") va0)";
        }

        /** Research prototypes of the full-text arm and of fusion (see the README's search section). */
        List<Mode> prototypes() {
            List<Mode> modes = new ArrayList<>();
            modes.add(mode("SQL: OR of lexemes + ts_rank_cd (unbounded)", lexemes() + """
                    , t as (select string_agg(cast(w.tq as text), ' | ')::tsquery q from w)
                    select id, content, r from (%s) u order by r desc limit :k""".formatted(arms("""
                    select c.id, c.content, ts_rank_cd(c.content_tsv, t.q) r from $T c, t
                    where c.tenant_id = :tenant and c.$SEGMENT and c.content_tsv @@ t.q order by r desc limit :k"""))));
            for (int budget : new int[] {300, 1000}) {
                modes.add(mode("SQL prototype: rare-lexeme OR (" + budget + ") + idf", lexemes() + textArm(budget, K) + """
                        select ta.id, c.content from ta join %s c on c.tenant_id = :tenant and c.id = ta.id
                        order by ta.s desc, ta.content_hash""".formatted(table)));
            }
            modes.add(mode("SQL prototype: hybrid RRF (HNSW 40 + idf 40)", lexemes() + textArm(300, 40) + vectorArm() + """
                    , vr as (select id, row_number() over (order by d, id) r from va)
                    , tr as (select id, row_number() over (order by s desc, content_hash) r from ta)
                    , f as (select coalesce(vr.id, tr.id) id, coalesce(1.0 / (60 + vr.r), 0) + coalesce(1.0 / (60 + tr.r), 0) sc
                      from vr full join tr on vr.id = tr.id)
                    select f.id, c.content from f join %s c on c.tenant_id = :tenant and c.id = f.id
                    order by f.sc desc, c.content_hash limit :k""".formatted(table)));
            for (double alpha : new double[] {0.1, 0.2, 0.3}) {
                modes.add(mode("SQL prototype: hybrid sim + " + alpha + " idf/max", lexemes() + textArm(300, 40) + vectorArm() + """
                        , u as (select id from va union select id from ta)
                        , sc as (select u.id, 1 - (c.embedding <=> :q::vector) as sim, c.content, c.content_hash,
                            coalesce((select sum(w.idf) from w where c.content_tsv @@ w.tq), 0) as s
                          from u join %s c on c.tenant_id = :tenant and c.id = u.id)
                        select id, content from sc
                        order by sim + %s * coalesce(s / nullif((select max(s) from sc), 0), 0) desc, content_hash limit :k"""
                        .formatted(table, alpha)));
            }
            return modes;
        }

        Mode mode(String name, String namedSql) {
            java.util.regex.Matcher m = NAMED.matcher(namedSql);
            List<String> names = new ArrayList<>();
            StringBuilder sql = new StringBuilder();
            while (m.find()) {
                names.add(m.group(1));
                m.appendReplacement(sql, "?");
            }
            m.appendTail(sql);
            PreparedStatement ps;
            try {
                ps = c.prepareStatement(sql.toString());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new Mode() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public List<UUID> top(int question) throws SQLException {
                    for (int i = 0; i < names.size(); i++) {
                        switch (names.get(i)) {
                            case "q" -> ps.setObject(i + 1, new PGvector(vectors.get(question)));
                            case "text" -> ps.setString(i + 1, questions.get(question).text());
                            case "tenant" -> ps.setString(i + 1, TENANT);
                            default -> ps.setInt(i + 1, K);
                        }
                    }
                    List<UUID> ids = new ArrayList<>(K);
                    try (ResultSet rs = ps.executeQuery()) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            UUID id = rs.getObject(1, UUID.class);
                            if (!ids.contains(id)) { // a chunk held by several documents comes once per document
                                ids.add(id);
                            }
                            rs.getString(2);
                            for (int i = 3; i <= columns && columns > 3; i++) { // the documents baseline reads every value
                                rs.getObject(i);
                            }
                        }
                    }
                    return ids;
                }
            };
        }

        void explain(PrintStream out) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("explain " + hnsw(K).replace(":q", "?").replace(":tenant", "?"))) {
                int i = 1;
                for (int[] r : ranges) {
                    ps.setObject(i++, new PGvector(vectors.get(0)));
                    ps.setString(i++, TENANT);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String line = rs.getString(1).trim();
                        if (line.contains("Scan")) {
                            out.println("plan of the SQL HNSW query: " + line);
                        }
                    }
                }
            }
        }
    }
}
