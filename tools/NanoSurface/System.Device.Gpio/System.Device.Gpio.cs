// Compile-only reference stub of System.Device.Gpio (NuGet nanoFramework.System.Device.Gpio 1.1.57).
// HAND-WRITTEN, not generated: unlike the other stubs here there is no listing of this assembly in
// ../shared/nano-surface, so tools/NanoSurface/Generator does not touch this file.
// Written from the public API of nanoframework/System.Device.Gpio at tag v1.1.57 (commit 8b832b8,
// 2025-04-02; version.json 1.1; AssemblyNativeVersion 100.1.0.6; references mscorlib and
// nanoFramework.Runtime.Events), read from that repo's System.Device.Gpio/*.cs.
// Included: every public type and member of that tag (GpioController, GpioPin, PinMode, PinValue,
// PinValuePair, PinEventTypes, PinNumberingScheme, PinValueChangedEventArgs, WaitForEventResult,
// PinValueChangedEventHandler, PinChangeEventHandler), with upstream's signatures, base types,
// [Flags], enum values and conversion operators (implicit from int and bool, explicit to byte,
// int and bool). Left out: internal and private types and members (natives included). Nothing
// public is added; as in the generated stubs, GpioPin gets an internal parameterless constructor
// (upstream's is internal GpioPin(int)) and the structs without public fields get a private
// placeholder field.
// Bodies are `throw null;` (`{ }` for event accessors and the finalizer).
// If the boards move to another System.Device.Gpio version, re-check this file against it.
#pragma warning disable

// version.json's major.minor, as the generated stubs declare theirs (see ../README.md): the
// interpreter resolves a reference to System.Device.Gpio by name and major.minor.
[assembly: global::System.Reflection.AssemblyVersion("1.1.0.0")]

namespace System.Device.Gpio
{
    public sealed class GpioController : global::System.IDisposable
    {
        public GpioController() { throw null; }
        public GpioController(global::System.Device.Gpio.PinNumberingScheme numberingScheme) { throw null; }
        public global::System.Device.Gpio.PinNumberingScheme NumberingScheme { get => throw null; }
        public int PinCount { get => throw null; }
        public global::System.Device.Gpio.GpioPin OpenPin(int pinNumber) => throw null;
        public global::System.Device.Gpio.GpioPin OpenPin(int pinNumber, global::System.Device.Gpio.PinMode mode) => throw null;
        public void ClosePin(int pinNumber) => throw null;
        public void Dispose() => throw null;
        public global::System.Device.Gpio.PinMode GetPinMode(int pinNumber) => throw null;
        public bool IsPinModeSupported(int pinNumber, global::System.Device.Gpio.PinMode mode) => throw null;
        public bool IsPinOpen(int pinNumber) => throw null;
        public global::System.Device.Gpio.PinValue Read(int pinNumber) => throw null;
        public void RegisterCallbackForPinValueChangedEvent(int pinNumber, global::System.Device.Gpio.PinEventTypes eventTypes, global::System.Device.Gpio.PinChangeEventHandler callback) => throw null;
        public void SetPinMode(int pinNumber, global::System.Device.Gpio.PinMode mode) => throw null;
        public void UnregisterCallbackForPinValueChangedEvent(int pinNumber, global::System.Device.Gpio.PinChangeEventHandler callback) => throw null;
        public void Write(int pinNumber, global::System.Device.Gpio.PinValue value) => throw null;
    }

    public sealed class GpioPin : global::System.IDisposable
    {
        ~GpioPin() { }
        public global::System.TimeSpan DebounceTimeout { get => throw null; set => throw null; }
        public int PinNumber { get => throw null; }
        public event global::System.Device.Gpio.PinValueChangedEventHandler ValueChanged { add { } remove { } }
        public global::System.Device.Gpio.PinMode GetPinMode() => throw null;
        public bool IsPinModeSupported(global::System.Device.Gpio.PinMode pinMode) => throw null;
        public void SetPinMode(global::System.Device.Gpio.PinMode value) => throw null;
        public global::System.Device.Gpio.PinValue Read() => throw null;
        public void Write(global::System.Device.Gpio.PinValue value) => throw null;
        public void Toggle() => throw null;
        public void Dispose() => throw null;
        // Upstream's only constructor is internal (GpioController.OpenPin makes pins): this internal
        // one stops C# from adding a public default one.
        internal GpioPin() { throw null; }
    }

    public delegate void PinChangeEventHandler(object sender, global::System.Device.Gpio.PinValueChangedEventArgs pinValueChangedEventArgs);

    [global::System.Flags]
    public enum PinEventTypes : int
    {
        None = 0,
        Rising = 1,
        Falling = 2,
    }

    public enum PinMode : int
    {
        Input = 0,
        InputPullDown = 1,
        InputPullUp = 2,
        Output = 3,
        OutputOpenDrain = 4,
        OutputOpenDrainPullUp = 5,
        OutputOpenSource = 6,
        OutputOpenSourcePullDown = 7,
    }

    public enum PinNumberingScheme : int
    {
        Logical = 0,
        Board = 1,
    }

    public readonly struct PinValue
    {
        public static global::System.Device.Gpio.PinValue High { get => throw null; }
        public static global::System.Device.Gpio.PinValue Low { get => throw null; }
        public bool Equals(global::System.Device.Gpio.PinValue other) => throw null;
        public override bool Equals(object obj) => throw null;
        public override int GetHashCode() => throw null;
        public override string ToString() => throw null;
        public static implicit operator global::System.Device.Gpio.PinValue(int value) => throw null;
        public static implicit operator global::System.Device.Gpio.PinValue(bool value) => throw null;
        public static explicit operator byte(global::System.Device.Gpio.PinValue value) => throw null;
        public static explicit operator int(global::System.Device.Gpio.PinValue value) => throw null;
        public static explicit operator bool(global::System.Device.Gpio.PinValue value) => throw null;
        public static bool operator ==(global::System.Device.Gpio.PinValue a, global::System.Device.Gpio.PinValue b) => throw null;
        public static bool operator !=(global::System.Device.Gpio.PinValue a, global::System.Device.Gpio.PinValue b) => throw null;
        private readonly int _dummyPrimitive;
    }

    public class PinValueChangedEventArgs : global::nanoFramework.Runtime.Events.BaseEvent
    {
        public PinValueChangedEventArgs(global::System.Device.Gpio.PinEventTypes changeType, int pinNumber) { throw null; }
        public global::System.Device.Gpio.PinEventTypes ChangeType { get => throw null; }
        public int PinNumber { get => throw null; }
    }

    public delegate void PinValueChangedEventHandler(object sender, global::System.Device.Gpio.PinValueChangedEventArgs e);

    public readonly struct PinValuePair
    {
        public PinValuePair(int pinNumber, global::System.Device.Gpio.PinValue pinValue) { throw null; }
        public int PinNumber { get => throw null; }
        public global::System.Device.Gpio.PinValue PinValue { get => throw null; }
        public void Deconstruct(out int pinNumber, out global::System.Device.Gpio.PinValue pinValue) => throw null;
        private readonly int _dummyPrimitive;
    }

    public struct WaitForEventResult
    {
        public global::System.Device.Gpio.PinEventTypes EventTypes;
        public bool TimedOut;
    }
}
