package dev.switchboard.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.Role;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.anthropic.AnthropicMapper.Conversation;
import dev.switchboard.provider.anthropic.AnthropicMapper.Turn;
import dev.switchboard.provider.anthropic.AnthropicWire.WireUsage;
import dev.switchboard.provider.http.HttpErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The reshaping of a chat into Anthropic's alternating turns, and the readings of its answers, for any input. */
class AnthropicMapperProperties {

    @Provide
    Arbitrary<List<Message>> chats() {
        Arbitrary<Role> role = Arbitraries.of(Role.SYSTEM, Role.USER, Role.USER, Role.ASSISTANT, Role.ASSISTANT);
        Arbitrary<String> content = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just(" "),
                Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '\n', 'é', '你').ofMinLength(1).ofMaxLength(12));
        return Combinators.combine(role, content).as((r, c) -> new Message(r, c, null)).list().ofMinSize(1).ofMaxSize(12);
    }

    private static Optional<Role> firstTurnRole(List<Message> chat) {
        return chat.stream().map(Message::role).filter(r -> r != Role.SYSTEM).findFirst();
    }

    /** The non-system messages grouped into runs of one role, as the texts of each run. */
    private static List<List<String>> runs(List<Message> chat) {
        List<List<String>> runs = new ArrayList<>();
        Role previous = null;
        for (Message m : chat) {
            if (m.role() == Role.SYSTEM) {
                continue;
            }
            if (m.role() != previous) {
                runs.add(new ArrayList<>());
                previous = m.role();
            }
            runs.getLast().add(m.text());
        }
        return runs;
    }

    @Property
    void aChatStartingWithTheUserBecomesAlternatingTurnsThatKeepEveryWord(@ForAll("chats") List<Message> chat) {
        Assume.that(firstTurnRole(chat).equals(Optional.of(Role.USER)));

        Conversation c = AnthropicMapper.conversation(chat);

        assertThat(c.turns().getFirst().role()).isEqualTo(Role.USER);
        for (int i = 1; i < c.turns().size(); i++) {
            assertThat(c.turns().get(i).role()).isNotEqualTo(c.turns().get(i - 1).role());
        }
        List<List<String>> runs = runs(chat);
        assertThat(c.turns()).hasSameSizeAs(runs);
        for (int i = 0; i < runs.size(); i++) {
            Turn t = c.turns().get(i);
            assertThat(t.blocks().stream().map(b -> b.path("text").asText()).reduce("", String::concat))
                    .isEqualTo(String.join("", runs.get(i)));
            assertThat(t.blocks()).as("the API rejects empty text blocks").noneMatch(b -> b.path("text").asText().isEmpty());
        }
    }

    @Property
    void everySystemMessageEndsUpInTheSystemFieldInOrder(@ForAll("chats") List<Message> chat) {
        Assume.that(firstTurnRole(chat).equals(Optional.of(Role.USER)));
        List<String> system = chat.stream().filter(m -> m.role() == Role.SYSTEM && !m.text().isBlank()).map(Message::text).toList();

        Conversation c = AnthropicMapper.conversation(chat);

        assertThat(c.system().stream().map(b -> b.path("text").asText()).toList()).isEqualTo(system);
        assertThat(c.turns()).noneMatch(t -> t.role() == Role.SYSTEM);
    }

    @Property
    void aChatNotStartingWithTheUserIsRejectedNeverRepaired(@ForAll("chats") List<Message> chat) {
        Assume.that(!firstTurnRole(chat).equals(Optional.of(Role.USER)));

        assertThatThrownBy(() -> AnthropicMapper.conversation(chat))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("messages"));
    }

    @Property
    void theWireBodyHasOnlyUserAndAssistantRolesAndAlwaysMaxTokens(
            @ForAll("chats") List<Message> chat, @ForAll @IntRange(min = 1, max = 8192) int defaultMaxTokens) {
        Assume.that(firstTurnRole(chat).equals(Optional.of(Role.USER)));

        JsonNode body = Json.mapper().valueToTree(AnthropicMapper.toWire(
                ChatRequest.builder().messages(chat).build(), "m", defaultMaxTokens, false));

        assertThat(body.path("max_tokens").asInt()).isEqualTo(defaultMaxTokens);
        assertThat(body.path("messages")).allSatisfy(m -> {
            assertThat(m.path("role").asText()).isIn("user", "assistant");
            assertThat(m.path("content").isTextual() || m.path("content").isArray()).isTrue();
        });
        assertThat(body.has("stream")).isFalse();
    }

    // --- reading answers -----------------------------------------------------------------------------

    @Provide
    Arbitrary<WireUsage> usages() {
        Arbitrary<Integer> n = Arbitraries.integers().between(0, 100_000).injectNull(0.3);
        return Combinators.combine(n, n, n, n).as(WireUsage::new);
    }

    @Property
    void streamedUsageTakesTheLatestReportAndNeverAddsThemUp(@ForAll("usages") WireUsage start, @ForAll("usages") WireUsage delta) {
        Usage u = AnthropicAnswers.usage(AnthropicAnswers.latest(start, delta));

        int expectedOutput = delta.outputTokens() != null ? delta.outputTokens() : start.outputTokens() == null ? 0 : start.outputTokens();
        assertThat(u.completionTokens()).isEqualTo(expectedOutput);
        assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
    }

    @Example
    void messageStartsOneOutputTokenIsReplacedByTheCumulativeCount() {
        WireUsage start = new WireUsage(25, 1, null, null);
        WireUsage delta = new WireUsage(null, 12, null, null);

        Usage u = AnthropicAnswers.usage(AnthropicAnswers.latest(start, delta));
        assertThat(List.of(u.promptTokens(), u.completionTokens(), u.totalTokens())).containsExactly(25, 12, 37);
    }

    @Example
    void cachedPromptTokensCountAsPromptTokens() {
        assertThat(AnthropicAnswers.usage(new WireUsage(10, 5, 200, 3000)).promptTokens()).isEqualTo(3210);
    }

    @Property
    void anyStopReasonMapsToAFinishReasonWithoutFailing(@ForAll String stopReason) {
        assertThat(AnthropicAnswers.finishReason(stopReason)).isNotNull();
    }

    @Property
    void anErrorEventIsClassifiedLikeTheHttpAnswerOfItsType(
            @ForAll("errorTypes") String type, @ForAll("plainMessages") String message) {
        String body = "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
        int status = AnthropicAnswers.statusOf(type);

        ModelFailure f = HttpErrors.classify("claude", "m", status, h -> null, body, UnaryOperator.identity());

        Class<? extends ModelFailure> expected = switch (type) {
            case "invalid_request_error", "request_too_large" -> ModelFailure.BadRequest.class;
            case "authentication_error", "permission_error", "billing_error" -> ModelFailure.AuthFailed.class;
            case "rate_limit_error" -> ModelFailure.RateLimited.class;
            default -> ModelFailure.Unavailable.class; // not_found_error, api_error, overloaded_error, unknown types
        };
        assertThat(f).isExactlyInstanceOf(expected);
        assertThat(f.getMessage()).contains(message);
    }

    @Provide
    Arbitrary<String> errorTypes() {
        return Arbitraries.oneOf(Arbitraries.of("invalid_request_error", "authentication_error", "billing_error", "permission_error",
                "not_found_error", "request_too_large", "rate_limit_error", "api_error", "overloaded_error"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10).map(s -> s + "_error"));
    }

    @Provide
    Arbitrary<String> plainMessages() {
        // Words that would make the body itself decide the class (context, filters) are left to HttpErrorsProperties.
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ').ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.contains("context") && !s.contains("too long") && !s.contains("too many tokens"));
    }
}
