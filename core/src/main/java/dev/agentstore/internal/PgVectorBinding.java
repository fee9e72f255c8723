package dev.agentstore.internal;

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
 * jOOQ binding between pgvector's {@code vector} type and {@code float[]}. A converter alone does not
 * work: jOOQ would bind the value as {@code varchar}, which PostgreSQL refuses for a {@code vector}
 * column, so every bind value is rendered with a {@code ::vector} cast and set as a {@link PGvector}.
 *
 * <p>Referenced by the generated tables; unsupported API.
 */
public final class PgVectorBinding implements Binding<Object, float[]> {

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

    static float[] parse(String text) {
        try {
            return new PGvector(text).toArray();
        } catch (SQLException e) {
            throw new DataTypeException("not a pgvector vector literal", e);
        }
    }
}
