package io.moezoo.onnx;

/**
 * A block, router, expert form or model that the ONNX exporter cannot express; the message names
 * the form (for example the spec's JSON {@code "type"}) and why.
 */
public class UnsupportedExportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String form;

    /**
     * Creates the exception.
     *
     * @param form the unsupported form, e.g. {@code "lora"} or {@code "expert_choice"}
     * @param reason why it cannot be exported
     */
    public UnsupportedExportException(String form, String reason) {
        super("ONNX export does not support " + form + ": " + reason);
        this.form = form;
    }

    /**
     * Returns the unsupported form.
     *
     * @return the form's name
     */
    public String getForm() {
        return form;
    }
}
