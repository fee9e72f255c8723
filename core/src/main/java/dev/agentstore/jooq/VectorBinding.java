package dev.agentstore.jooq;

import com.pgvector.PGvector;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.conf.ParamType;
import org.jooq.exception.DataTypeException;
import org.jooq.impl.DSL;

/**
 * jOOQ binding between pgvector's {@code vector} type and {@code float[]}: agentstore's generated
 * tables use it for their embedding columns, and a host uses it for vector columns of its own tables
 * in its jOOQ code generation (supported API):
 *
 * <pre>{@code
 * <forcedType>
 *   <userType>float[]</userType>
 *   <binding>dev.agentstore.jooq.VectorBinding</binding>
 *   <includeTypes>vector</includeTypes>
 * </forcedType>
 * }</pre>
 *
 * <p>A converter alone does not work: jOOQ would bind the value as {@code varchar}, which PostgreSQL
 * refuses for a {@code vector} column, so every bind value is rendered with a {@code ::vector} cast and
 * set as a pgvector {@link PGvector}. {@code null} maps to SQL {@code NULL} both ways. Values are read
 * into new arrays; arrays handed in are not kept. For a distance in a query, bind the query vector with
 * the column's data type so that the cast applies:
 * {@code DSL.field("{0} <=> {1}", Double.class, T.EMBEDDING, DSL.val(q, T.EMBEDDING.getDataType()))}.
 * Stateless and thread-safe.
 */
public final class VectorBinding implements Binding<Object, float[]> {

    private static final long serialVersionUID = 1L;

    private static final Converter<Object, float[]> CONVERTER = Converter.ofNullable(Object.class, float[].class,
            db -> parse(db.toString()), v -> new PGvector(v).getValue());

    @Override
    public Converter<Object, float[]> converter() {
        return CONVERTER;
    }

    @Override
    public void sql(BindingSQLContext<float[]> ctx) throws SQLException {
        if (ctx.render().paramType() == ParamType.INLINED) {
            ctx.render().visit(DSL.inline(ctx.convert(converter()).value())).sql("::vector");
        } else {
            ctx.render().sql(ctx.variable()).sql("::vector");
        }
    }

    @Override
    public void register(BindingRegisterContext<float[]> ctx) throws SQLException {
        ctx.statement().registerOutParameter(ctx.index(), Types.OTHER);
    }

    @Override
    public void set(BindingSetStatementContext<float[]> ctx) throws SQLException {
        if (ctx.value() == null) {
            ctx.statement().setNull(ctx.index(), Types.OTHER);
        } else {
            ctx.statement().setObject(ctx.index(), new PGvector(ctx.value()));
        }
    }

    @Override
    public void set(BindingSetSQLOutputContext<float[]> ctx) throws SQLException {
        throw new SQLFeatureNotSupportedException("vector values cannot be written to SQLOutput");
    }

    @Override
    public void get(BindingGetResultSetContext<float[]> ctx) throws SQLException {
        String s = ctx.resultSet().getString(ctx.index());
        ctx.value(s == null ? null : parse(s));
    }

    @Override
    public void get(BindingGetStatementContext<float[]> ctx) throws SQLException {
        String s = ctx.statement().getString(ctx.index());
        ctx.value(s == null ? null : parse(s));
    }

    @Override
    public void get(BindingGetSQLInputContext<float[]> ctx) throws SQLException {
        throw new SQLFeatureNotSupportedException("vector values cannot be read from SQLInput");
    }

    /** For jOOQ's code generator, which names the class in the generated tables. */
    public VectorBinding() {
    }

    static float[] parse(String text) {
        try {
            return new PGvector(text).toArray();
        } catch (SQLException e) {
            throw new DataTypeException("not a pgvector vector literal", e);
        }
    }
}
