#include "revsearch/crash_guard.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

extern char** environ;

namespace revsearch {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool under_address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool under_address_sanitizer = true;
#else
constexpr bool under_address_sanitizer = false;
#endif
#else
constexpr bool under_address_sanitizer = false;
#endif

constexpr int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

// Filled before the handler is installed and never freed: the handler must not allocate.
struct Prepared {
    std::string message;
    std::vector<std::string> argv_storage, env_storage;
    std::vector<char*> argv, envp;
};
Prepared* prepared = nullptr;

void write_all(const char* text, std::size_t size) {
    while (size > 0) {
        const ssize_t written = ::write(STDERR_FILENO, text, size);
        if (written <= 0) return;
        text += written;
        size -= static_cast<std::size_t>(written);
    }
}

void on_fatal_signal(int signal_number) {
    // SA_RESETHAND restored the default action: a fault from here on ends the process as it would have.
    write_all(prepared->message.data(), prepared->message.size());
    ::execve(prepared->argv[0], prepared->argv.data(), prepared->envp.data());
    ::raise(signal_number);
}

}  // namespace

std::string running_executable() {
    std::error_code ignored;
    return std::filesystem::read_symlink("/proc/self/exe", ignored).string();
}

void exec_on_fatal_signal(const std::string& message, const std::vector<std::string>& argv, const std::string& marker) {
    if (under_address_sanitizer || argv.empty() || argv[0].empty()) return;
    auto* next = new Prepared;
    next->message = message + "\n";
    next->argv_storage = argv;
    for (auto& arg : next->argv_storage) next->argv.push_back(arg.data());
    next->argv.push_back(nullptr);
    for (char** variable = environ; variable != nullptr && *variable != nullptr; ++variable)
        next->env_storage.emplace_back(*variable);
    next->env_storage.push_back(marker + "=1");
    for (auto& variable : next->env_storage) next->envp.push_back(variable.data());
    next->envp.push_back(nullptr);
    prepared = next;  // a guard replaced is leaked on purpose: a handler may be reading the old one

    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    for (int signal_number : fatal_signals) ::sigaction(signal_number, &action, nullptr);
}

}  // namespace revsearch
