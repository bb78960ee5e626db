package io.bandwatch.platform.problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The field of a Bean Validation violation as the API spells it: {@code create.arg0.sshPort} is
 * {@code ssh_port}; a violation on {@code @QueryParam("device_id") UUID deviceId} is {@code device_id}.
 */
final class ViolationPaths {

    private ViolationPaths() {
    }

    static String field(ConstraintViolation<?> v) {
        List<String> properties = new ArrayList<>();
        Path.MethodNode method = null;
        String parameter = null;
        for (Path.Node node : v.getPropertyPath()) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD) {
                method = node.as(Path.MethodNode.class);
            } else if (kind == ElementKind.PARAMETER) {
                parameter = parameterName(v.getRootBeanClass(), method, node.as(Path.ParameterNode.class));
            } else if (kind == ElementKind.PROPERTY || kind == ElementKind.CONTAINER_ELEMENT) {
                if (node.getIndex() != null && !properties.isEmpty()) {
                    int last = properties.size() - 1;
                    properties.set(last, properties.get(last) + "[" + node.getIndex() + "]");
                } else if (node.getKey() != null && !properties.isEmpty()) {
                    int last = properties.size() - 1;
                    properties.set(last, properties.get(last) + "." + node.getKey());
                }
                if (node.getName() != null && !node.getName().startsWith("<")) {
                    properties.add(snake(node.getName()));
                }
            }
        }
        if (!properties.isEmpty()) {
            return String.join(".", properties);
        }
        return parameter != null ? parameter : "body";
    }

    /** The HTTP name of a resource method parameter; null for the body (a parameter without annotation). */
    private static String parameterName(Class<?> type, Path.MethodNode methodNode, Path.ParameterNode node) {
        if (methodNode == null) {
            return snake(node.getName());
        }
        Class<?>[] types = methodNode.getParameterTypes().toArray(Class<?>[]::new);
        // a CDI subclass overrides the method without its annotations: look up the hierarchy
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Method method;
            try {
                method = c.getDeclaredMethod(methodNode.getName(), types);
            } catch (NoSuchMethodException e) {
                continue;
            }
            String name = annotated(method.getParameterAnnotations()[node.getParameterIndex()], node.getName());
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    private static String annotated(Annotation[] annotations, String javaName) {
        for (Annotation a : annotations) {
            String name = null;
            if (a instanceof QueryParam q) {
                name = q.value();
            } else if (a instanceof PathParam p) {
                name = p.value();
            } else if (a instanceof HeaderParam h) {
                name = h.value();
            } else if (a instanceof FormParam f) {
                name = f.value();
            } else if (a instanceof CookieParam c) {
                name = c.value();
            } else if (a instanceof RestQuery q) {
                name = q.value().isEmpty() ? javaName : q.value();
            } else if (a instanceof RestPath p) {
                name = p.value().isEmpty() ? javaName : p.value();
            } else if (a instanceof RestHeader h) {
                name = h.value().isEmpty() ? javaName : h.value();
            }
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
