package io.moezoo.hf;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The expression resolver of a chat template's sandbox: Python {@code str} methods on strings
 * ({@link PythonStrings}), every other property and method access left to jinjava's read-only
 * resolver, and a deadline checked at each access so that a template cannot loop for long.
 */
final class ChatTemplateResolver extends ELResolver {

    private final ELResolver delegate;
    private final long deadlineNanos;
    private final String template;

    /**
     * Creates the resolver for one render.
     *
     * @param delegate jinjava's resolver
     * @param deadlineNanos the {@link System#nanoTime} after which every access fails
     * @param template the template's name, for messages
     */
    ChatTemplateResolver(ELResolver delegate, long deadlineNanos, String template) {
        this.delegate = delegate;
        this.deadlineNanos = deadlineNanos;
        this.template = template;
    }

    private void checkDeadline() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new ChatTemplateException(
                    "chat template " + template + " ran past its time limit of rendering");
        }
    }

    @Override
    public Object invoke(
            ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
        checkDeadline();
        if (base instanceof String s
                && method instanceof String name
                && PythonStrings.supports(name)) {
            context.setPropertyResolved(true);
            return PythonStrings.invoke(s, name, params);
        }
        if (base instanceof String && method != null) {
            throw new ChatTemplateException(
                    "chat template "
                            + template
                            + " calls str."
                            + method
                            + "(), which is not supported");
        }
        return delegate.invoke(context, base, method, types, params);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        checkDeadline();
        return delegate.getValue(context, base, property);
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return delegate.getCommonPropertyType(context, base);
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return delegate.getFeatureDescriptors(context, base);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return delegate.getType(context, base, property);
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        delegate.setValue(context, base, property, value);
    }
}
